using Microsoft.Data.Sqlite;

namespace NasSharp.Tests.Shared;

/// <summary>A fresh temporary directory for SQLite run stores, deleted when the test ends (linked into the test projects
/// that open run stores, see their .csproj).</summary>
internal sealed class TempStoreDirectory : IDisposable
{
    public TempStoreDirectory(string prefix) => Root = Directory.CreateTempSubdirectory(prefix).FullName;

    public string Root { get; }

    public string File(string name) => Path.Combine(Root, name);

    public void Dispose()
    {
        // Pooled connections keep the database files open; release them before deleting the directory.
        SqliteConnection.ClearAllPools();
        Directory.Delete(Root, recursive: true);
    }
}
