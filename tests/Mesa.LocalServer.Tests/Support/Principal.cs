using Mesa.Client;

namespace Mesa.LocalServer.Tests.Infrastructure;

/// <summary>A registered test principal and its keys.</summary>
public sealed record Principal(string Id, MesaKeypair Keys);
