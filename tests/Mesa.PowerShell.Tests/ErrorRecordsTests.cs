using System.Management.Automation;
using Mesa.Client;
using Mesa.PowerShell.Infrastructure;

namespace Mesa.PowerShell.Tests;

/// <summary>
/// The error contract of issue 4: id = the server's code when it sent one, else the class; category by status; the
/// exception in the record is the core's typed exception; the target is the input.
/// </summary>
public sealed class ErrorRecordsTests
{
    private static Dictionary<string, object?> Structured(string code, string message) => new() { ["code"] = code, ["message"] = message };

    public static TheoryData<MesaException, string, ErrorCategory> Cases => new()
    {
        { new MesaBadRequestException("schema_invalid: 'summary' is required", 422, """{"detail":{"code":"schema_invalid"}}""", Structured("schema_invalid", "'summary' is required"), "schema_invalid"), "schema_invalid", ErrorCategory.InvalidData },
        { new MesaBadRequestException("body.public_key: too short", 422, "{\"detail\":[]}", new List<object?>(), null), "BadRequest", ErrorCategory.InvalidData },
        { new MesaBadRequestException("http 400", 400, "", null, null), "BadRequest", ErrorCategory.InvalidData },
        { new MesaBadRequestException("invalid_status: nope", 422, null, Structured("invalid_status", "nope"), "invalid_status"), "invalid_status", ErrorCategory.InvalidData },
        { new MesaUnauthorizedException("invalid_signature: no", 401, null, Structured("invalid_signature", "no"), "invalid_signature"), "invalid_signature", ErrorCategory.AuthenticationError },
        { new MesaUnauthorizedException("http 401", 401, "<html>", null, null), "Unauthorized", ErrorCategory.AuthenticationError },
        { new MesaForbiddenException("policy_blocked: no", 403, null, Structured("policy_blocked", "no"), "policy_blocked"), "policy_blocked", ErrorCategory.PermissionDenied },
        { new MesaForbiddenException("authority_denied: no", 403, null, Structured("authority_denied", "no"), "authority_denied"), "authority_denied", ErrorCategory.PermissionDenied },
        { new MesaForbiddenException("admin_forbidden: no", 403, null, Structured("admin_forbidden", "no"), "admin_forbidden"), "admin_forbidden", ErrorCategory.PermissionDenied },
        { new MesaForbiddenException("admin_disabled: no", 403, null, Structured("admin_disabled", "no"), "admin_disabled"), "admin_disabled", ErrorCategory.PermissionDenied },
        { new MesaForbiddenException("Forbidden", 403, "\"Forbidden\"", "Forbidden", null), "Forbidden", ErrorCategory.PermissionDenied },
        { new MesaNotFoundException("principal not found", 404, """{"detail":"principal not found"}""", "principal not found", null), "NotFound", ErrorCategory.ObjectNotFound },
        { new MesaNotFoundException("not_found: no such deliberation", 404, null, Structured("not_found", "no such deliberation"), "not_found"), "not_found", ErrorCategory.ObjectNotFound },
        { new MesaConflictException("public_key already registered", 409, null, "public_key already registered", null), "Conflict", ErrorCategory.ResourceExists },
        { new MesaException("http 500", 500, "Internal Server Error"), "ServerError", ErrorCategory.ConnectionError },
        { new MesaException("http 502", 502, "<html>bad gateway</html>"), "ServerError", ErrorCategory.ConnectionError },
        { new MesaException("Could not reach the server"), "ConnectionFailed", ErrorCategory.ConnectionError },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Maps_id_category_exception_and_target(MesaException exception, string id, ErrorCategory category)
    {
        var target = new object();
        var record = ErrorRecords.From(exception, target);

        Assert.Equal(id, record.FullyQualifiedErrorId);
        Assert.DoesNotContain(record.FullyQualifiedErrorId, char.IsWhiteSpace);
        Assert.Equal(category, record.CategoryInfo.Category);
        Assert.Same(exception, record.Exception);
        Assert.Same(target, record.TargetObject);
    }

    [Theory]
    [InlineData(typeof(MesaBadRequestException), 422, "BadRequest")]
    [InlineData(typeof(MesaUnauthorizedException), 401, "Unauthorized")]
    [InlineData(typeof(MesaForbiddenException), 403, "Forbidden")]
    [InlineData(typeof(MesaNotFoundException), 404, "NotFound")]
    [InlineData(typeof(MesaConflictException), 409, "Conflict")]
    public void Error_class_is_the_bare_class_name(Type type, int status, string errorClass)
    {
        var exception = (MesaException)Activator.CreateInstance(type, "m", status, null, null, null, null, null)!;
        Assert.Equal(errorClass, exception.ErrorClass);
    }

    [Fact]
    public async Task A_real_connection_failure_maps_to_connection_failed()
    {
        using var client = new MesaClient(new MesaClientOptions { BaseUri = ClosedPort.NewUri(), Timeout = TimeSpan.FromSeconds(10) });
        var exception = await Assert.ThrowsAsync<MesaException>(() => client.GetHealthAsync());
        var record = ErrorRecords.From(exception, "target");

        Assert.Null(exception.StatusCode);
        Assert.Equal("ConnectionFailed", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, record.CategoryInfo.Category);
    }

    [Fact]
    public void Local_problems_map_to_stable_ids()
    {
        Assert.Equal("InvalidCanonicalJson", ErrorRecords.From(new CanonicalJsonException("$", "bad"), null).FullyQualifiedErrorId);
        Assert.Equal("InvalidArgument", ErrorRecords.From(new ArgumentException("bad"), null).FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, ErrorRecords.From(new CanonicalJsonException("$", "bad"), null).CategoryInfo.Category);
    }
}
