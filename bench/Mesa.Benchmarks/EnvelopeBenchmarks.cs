using BenchmarkDotNet.Attributes;
using Mesa.Client;

namespace Mesa.Benchmarks;

/// <summary>
/// Canonicalise + sign one quickstart-shaped envelope (an offer with summary and terms, profile v2, in a deliberation),
/// with default id and timestamp as a caller would get them. Sign-only of the same bytes is the baseline, so every
/// other row reads as "how much canonicalising adds on top of the Ed25519 signature".
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class EnvelopeBenchmarks
{
    private const string Principal = "11fcd05e5fb1496da15eb51e6dad67fe";
    private const string Deliberation = "9054c21921ac41d89c815dc85122d719";

    private MesaKeypair _keys = null!;
    private Dictionary<string, object?> _payload = null!;
    private byte[] _canonical = null!;
    private string _envelopeJson = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keys = MesaKeypair.FromPrivateKeyHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        _payload = new Dictionary<string, object?>
        {
            ["summary"] = "Dataset licence: EU and US news archive, 12 months",
            ["terms"] = new Dictionary<string, object?>
            {
                ["fee_total_usd"] = 40000,
                ["term_months"] = 12,
                ["discount_pct"] = 7.5,
                ["scope"] = new List<object?> { "EU", "US" },
                ["dpa_attached"] = true,
            },
        };
        var envelope = MesaEnvelope.Create("offer", Principal, _payload, Deliberation);
        _canonical = envelope.GetCanonicalBytes();
        _envelopeJson = envelope.Sign(_keys).ToWireJson();
    }

    [Benchmark(Baseline = true, Description = "sign only (Ed25519 over the canonical bytes)")]
    public byte[] SignOnly() => _keys.Sign(_canonical);

    [Benchmark(Description = "canonicalise only (Create: id, timestamp, payload, canonical bytes)")]
    public MesaEnvelope CanonicaliseOnly() => MesaEnvelope.Create("offer", Principal, _payload, Deliberation);

    [Benchmark(Description = "canonicalise + sign")]
    public MesaEnvelope CanonicaliseAndSign() => MesaEnvelope.Create("offer", Principal, _payload, Deliberation).Sign(_keys);

    [Benchmark(Description = "canonicalise + sign + wire bytes")]
    public byte[] CanonicaliseSignAndWire() => MesaEnvelope.Create("offer", Principal, _payload, Deliberation).Sign(_keys).ToWireBytes();

    [Benchmark(Description = "canonical JSON of the wire text (what a verifier does)")]
    public byte[] CanonicalFromText() => CanonicalJson.FromJson(_envelopeJson);

    [Benchmark(Description = "verify a signed envelope read from wire text")]
    public bool ReadAndVerify() => MesaEnvelope.FromJson(_envelopeJson).Verify(_keys.PublicKeyHex);
}
