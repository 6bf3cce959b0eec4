using NasSharp.Data;

namespace NasSharp.Testing;

/// <summary>
/// The shared data directory for tests: $NASSHARP_DATA (set by .ci/run), else ../shared/data next to the repository.
/// Tests that need tables fail loudly when neither exists, rather than skipping.
/// </summary>
internal static class TestData
{
    public static string Directory { get; } = Find();

    private static string Find()
    {
        var env = Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable);
        if (!string.IsNullOrEmpty(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (System.IO.Directory.Exists(Path.Combine(candidate, "nb201"))) return candidate;
        }
        throw new InvalidOperationException("Test data not found: set NASSHARP_DATA to the shared data directory (../shared/data).");
    }
}
