using Build.Configuration;

namespace Build.Ci;

public static class CiErrors
{
    /// <summary>Turns the exception that failed a run into annotations, with file and line where it has them.</summary>
    public static void Report(ICiReporter ci, Exception exception, string repositoryRoot)
    {
        if (!ci.IsGitHubActions) return;
        switch (exception)
        {
            case ConfigurationException config:
                foreach (var error in config.Errors)
                    ci.Error(
                        $"{error.JsonPath}: {error.Message}",
                        Relative(error.File, repositoryRoot),
                        error.Line,
                        title: "Configuration"
                    );
                break;
            case IFileLocated located:
                ci.Error(
                    exception.Message,
                    located.File is null ? null : Relative(located.File, repositoryRoot),
                    located.Line,
                    located.Column
                );
                break;
            default:
                ci.Error(exception.Message);
                break;
        }
    }

    public static string Relative(string path, string root) =>
        Path.IsPathRooted(path) ? Path.GetRelativePath(root, path) : path;
}
