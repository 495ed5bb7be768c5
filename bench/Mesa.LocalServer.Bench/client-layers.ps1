# The client's CPU per commitment, layer by layer, in one real pwsh against the bundled local server (in-memory
# store), 8 requests in flight each: a bare HttpClient (async, and synchronous Send on 8 threads), MesaClient
# (SubmitCommitmentAsync), and Submit-MesaCommitment -ThrottleLimit 8 with envelopes from the pipeline and as one
# -Envelope array. Prints, per layer, the pwsh process's CPU microseconds per item (all threads), the rate, the bytes
# allocated per item and gen-0 collections per round, over the rounds after the first two (warm-up).
#   dotnet pwsh ./build.ps1 Build; dotnet pwsh -NoProfile -File bench/Mesa.LocalServer.Bench/client-layers.ps1
param([int] $Rounds = 8, [int] $N = 4000, [string] $Module = (Join-Path $PSScriptRoot "../../out/Mesa/Mesa.psd1"))
$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue'
Import-Module $Module
$server = Start-MesaLocalServer -Connect
$key = New-MesaKeypair
$principal = $key | New-MesaPrincipal -Org acme | Set-MesaCapability -Capability offer
$deal = New-MesaDeliberation -Title 'p'
$envs = @(1..$N | ForEach-Object { @{ summary = "s$_"; terms = @{ a = 1 } } } | New-MesaEnvelope -Type offer -EmittedBy $principal.Id -DeliberationId $deal.Id -Keypair $key)
$client = [Mesa.Client.MesaEnvelope].Assembly.Location
Add-Type -ReferencedAssemblies $client, 'System.Net.Http', 'System.Net.Primitives', 'System.Collections', 'System.Runtime', 'System.Linq', 'System.Threading', 'System.Threading.Thread' -CompilerOptions '-nowarn:CS1701' -TypeDefinition @'
using System; using System.Linq; using System.Net.Http; using System.Threading; using System.Threading.Tasks;
public static class Cmp {
  static HttpClient http;
  public static void Bare(Uri baseUri, Mesa.Client.MesaEnvelope[] envs, int n) {
    if (http == null) { http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = n }) { BaseAddress = baseUri }; }
    var wire = envs.Select(e => e.ToWireBytes()).ToArray();
    int next = -1;
    Task.WaitAll(Enumerable.Range(0, n).Select(_ => Task.Run(async () => {
      int i;
      while ((i = Interlocked.Increment(ref next)) < wire.Length) {
        var c = new ByteArrayContent(wire[i]); c.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var m = new HttpRequestMessage(HttpMethod.Post, "commitments") { Content = c };
        using var r = await http.SendAsync(m);
        await r.Content.ReadAsByteArrayAsync();
        if ((int)r.StatusCode != 201) throw new Exception(r.StatusCode.ToString());
      }
    })).ToArray());
  }
  static HttpClient shttp;
  public static void BareSync(Uri baseUri, Mesa.Client.MesaEnvelope[] envs, int n) {
    if (shttp == null) { shttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = n }) { BaseAddress = baseUri }; }
    var wire = envs.Select(e => e.ToWireBytes()).ToArray();
    int next = -1;
    var threads = Enumerable.Range(0, n).Select(_ => new Thread(() => {
      int i; var buf = new byte[4096];
      while ((i = Interlocked.Increment(ref next)) < wire.Length) {
        var c = new ByteArrayContent(wire[i]); c.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        using var m = new HttpRequestMessage(HttpMethod.Post, "commitments") { Content = c };
        using var r = shttp.Send(m, HttpCompletionOption.ResponseHeadersRead);
        using var s = r.Content.ReadAsStream(); while (s.Read(buf, 0, buf.Length) > 0) {}
        if ((int)r.StatusCode != 201) throw new Exception(r.StatusCode.ToString());
      }
    })).ToArray();
    foreach (var t in threads) t.Start(); foreach (var t in threads) t.Join();
  }
  public static void Core(Mesa.Client.MesaClient client, Mesa.Client.MesaEnvelope[] envs, int n) {
    int next = -1;
    Task.WaitAll(Enumerable.Range(0, n).Select(_ => Task.Run(async () => {
      int i;
      while ((i = Interlocked.Increment(ref next)) < envs.Length) await client.SubmitCommitmentAsync(envs[i]);
    })).ToArray());
  }
}
'@
$conn = Get-MesaConnection
$self = [Diagnostics.Process]::GetCurrentProcess()
function M([string] $Name, [scriptblock] $Body) {
  $a0 = [GC]::GetTotalAllocatedBytes($false); $g0 = [GC]::CollectionCount(0); $self.Refresh(); $c0 = $self.TotalProcessorTime; $w = [Diagnostics.Stopwatch]::StartNew()
  & $Body
  $self.Refresh()
  [pscustomobject]@{ Name = $Name; Rate = [int]($envs.Count / $w.Elapsed.TotalSeconds); CpuUs = [int](($self.TotalProcessorTime - $c0).TotalMilliseconds * 1000 / $envs.Count); Bytes = [int](([GC]::GetTotalAllocatedBytes($false) - $a0) / $envs.Count); Gc = [GC]::CollectionCount(0) - $g0 }
}
$res = foreach ($r in 1..$Rounds) {
  M bare { [Cmp]::Bare($conn.Uri, $envs, 8) }
  M bareSync { [Cmp]::BareSync($conn.Uri, $envs, 8) }
  M core { [Cmp]::Core($conn.Client, $envs, 8) }
  M cmdlet { $null = @($envs | Submit-MesaCommitment -ThrottleLimit 8) }
  M cmdletArr { $null = @(Submit-MesaCommitment -Envelope $envs -ThrottleLimit 8) }
}
$res | Select-Object -Skip 10 | Group-Object Name | ForEach-Object {
  $cpu = @($_.Group.CpuUs | Sort-Object); $rate = @($_.Group.Rate | Sort-Object)
  '{0,-10} CPU {1,4} us/item (median; {2}-{3})  {4,6}/s  {5,6} B/item  gen0 {6}/round' -f $_.Name, $cpu[[int]($cpu.Count / 2)], $cpu[0], $cpu[-1], $rate[[int]($rate.Count / 2)], @($_.Group.Bytes | Sort-Object)[[int]($cpu.Count / 2)], @($_.Group.Gc | Sort-Object)[[int]($cpu.Count / 2)]
}
Stop-MesaLocalServer -Server $server
