using Mesa.Client;

namespace Mesa.LocalServer.Tests.Support;

/// <summary>A registered test principal and its keys.</summary>
public sealed record Principal(string Id, MesaKeypair Keys);
