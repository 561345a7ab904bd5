using System.Security.Cryptography;
using System.Text;
using Build.Validation;

namespace Build.Tests.Infrastructure;

/// <summary>Signs JWTs the way Supabase's API keys are shaped (HS256, claims iss/ref/role/iat/exp).</summary>
public static class TestJwt
{
    public static string Supabase(
        string projectRef,
        string role,
        string secret = "test-signing-secret-at-least-32-bytes!"
    ) =>
        WithPayload(
            $$"""{"iss":"supabase","ref":"{{projectRef}}","role":"{{role}}","iat":1700000000,"exp":2000000000}""",
            secret
        );

    /// <summary>A signed token with exactly these claims (a key missing its role or ref claim, say).</summary>
    public static string WithPayload(string payloadJson, string secret = "test-signing-secret-at-least-32-bytes!")
    {
        var header = Jwt.EncodeSegment("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Jwt.EncodeSegment(payloadJson);
        var signature = Jwt.EncodeSegment(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{header}.{payload}"))
        );
        return $"{header}.{payload}.{signature}";
    }
}
