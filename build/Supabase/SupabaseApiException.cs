namespace Build.Supabase;

/// <summary>The Management API refused a request or could not be reached. The message names the request and what to
/// do; it never holds the access token.</summary>
public sealed class SupabaseApiException(string message, int? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status, or null when no answer came.</summary>
    public int? StatusCode { get; } = statusCode;
}
