using System.Collections.Concurrent;
using Polly;

namespace Mesa.Client;

/// <summary>
/// One client's retry pipelines: the one of its default settings, built once, and a few for the per-call settings
/// seen (a bulk run passes its own), so a pipeline is not rebuilt for every request.
/// </summary>
internal sealed class MesaRetryPipelines
{
    private readonly MesaRetryOptions _default;
    private readonly ResiliencePipeline _defaultPipeline;
    private readonly ConcurrentDictionary<MesaRetryOptions, ResiliencePipeline> _others = new();

    public MesaRetryPipelines(MesaRetryOptions defaultOptions)
    {
        _default = defaultOptions;
        _defaultPipeline = MesaRetryPipeline.Build(defaultOptions);
    }

    /// <summary>The pipeline for <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">Settings other than the default ones are out of range.</exception>
    public ResiliencePipeline For(MesaRetryOptions options)
    {
        if (ReferenceEquals(options, _default)) return _defaultPipeline;
        MesaClientOptionsCheck.Retry(options, nameof(options));
        if (_others.TryGetValue(options, out var cached)) return cached;
        var pipeline = MesaRetryPipeline.Build(options);
        if (_others.Count < 32) _others.TryAdd(options, pipeline); // a few distinct settings per client in practice
        return pipeline;
    }
}
