namespace Build.Secrets;

/// <summary>A required secret is unset. The message names the variables, never a value.</summary>
public sealed class MissingSecretException(SecretName name, IReadOnlyList<string> variables)
    : Exception(
        $"{string.Join(" or ", variables)} is not set (copy .env.<env>.template to .env.<env>, or set it in the " +
        "environment)."
    )
{
    public SecretName Secret { get; } = name;
    public IReadOnlyList<string> Variables { get; } = variables;
}
