using Sodium;

namespace Build.GitHub;

/// <summary>GitHub stores a secret only as a libsodium sealed box for the repository's (or environment's) public key:
/// the plain value leaves this process encrypted, and only GitHub's private key opens it.</summary>
public static class SecretSealer
{
    public static string Seal(string value, string publicKeyBase64) =>
        Convert.ToBase64String(
            SealedPublicKeyBox.Create(
                System.Text.Encoding.UTF8.GetBytes(value),
                Convert.FromBase64String(publicKeyBase64)
            )
        );
}
