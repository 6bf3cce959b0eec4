using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NasSharp.Search.Running;

namespace NasSharp.Search.Store;

/// <summary>What identifies a study: a resumed run must match every field except the budget, which may grow.</summary>
public sealed record StudyRecord(string Name, string Space, string Strategy, string Dataset, int Seed, int Budget, string Evaluator, string Options)
{
    public string CreatedUtc { get; init; } = "";
    public string? FinishedUtc { get; init; }
}

/// <summary>A study with its progress, for `nas runs list`.</summary>
public sealed record StudySummary(StudyRecord Study, int Trials, int Failed, double? BestScore, string? BestArch);

/// <summary>
/// The SQLite run store: one file, many studies. Every trial is inserted (autocommit, so durable) as soon as it exists.
/// The schema version is recorded; a file that is not a NasSharp store, is corrupt, is of another version or is locked by
/// another writer gives a <see cref="NasInputException"/> naming the file — nothing already stored is modified.
/// </summary>
public sealed class RunStore : IDisposable
{
    public const int SchemaVersion = 1;
    private readonly SqliteConnection _db;
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public string Path { get; }

    private RunStore(string path, SqliteConnection db) { Path = path; _db = db; }

    /// <param name="busyTimeoutMs">How long to wait for another process's lock before giving up with "locked".</param>
    public static RunStore Open(string path, int busyTimeoutMs = 5000)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full);
        if (dir is not null && !Directory.Exists(dir)) throw new NasInputException($"Run store '{path}': directory '{dir}' does not exist.");
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false, DefaultTimeout = Math.Max(1, busyTimeoutMs / 1000) }.ToString());
        try
        {
            db.Open();
            Exec(db, $"PRAGMA busy_timeout = {Math.Max(0, busyTimeoutMs)};");
            var store = new RunStore(full, db);
            store.EnsureSchema();
            return store;
        }
        catch (SqliteException e)
        {
            db.Dispose();
            throw Explain(path, e);
        }
        catch { db.Dispose(); throw; }
    }

    private static NasInputException Explain(string path, SqliteException e) => e.SqliteErrorCode switch
    {
        5 or 6 => new NasInputException($"Run store '{path}' is locked by another process; wait for it to finish or use another --store.", e),
        19 => new NasInputException($"Run store '{path}': a trial was written by someone else meanwhile ({e.Message}); two runs of the same study at once? Let one finish, then resume.", e),
        11 or 26 => new NasDataException($"Run store '{path}' is corrupt or not an SQLite file ({e.Message}); move it aside and start a new store.", e),
        _ => new NasDataException($"Run store '{path}' could not be used: {e.Message}", e),
    };

    private void EnsureSchema()
    {
        var tables = Query(_db, "SELECT name FROM sqlite_master WHERE type = 'table'", r => r.GetString(0)).ToHashSet();
        if (tables.Count > 0 && !tables.Contains("nas_store"))
            throw new NasDataException($"'{Path}' is an SQLite file but not a NasSharp run store (tables: {string.Join(", ", tables.Order())}); choose another --store.");
        if (tables.Contains("nas_store"))
        {
            var version = Query(_db, "SELECT value FROM nas_store WHERE key = 'schema_version'", r => r.GetString(0)).FirstOrDefault();
            if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
                throw new NasDataException($"Run store '{Path}' has schema version {version ?? "(none)"}; this build reads version {SchemaVersion}. Use a new --store.");
            if (!tables.Contains("studies") || !tables.Contains("trials"))
                throw new NasDataException($"Run store '{Path}' is incomplete (tables missing); move it aside and start a new store.");
            return;
        }
        using var tx = _db.BeginTransaction();
        Exec(_db, """
            CREATE TABLE nas_store (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE studies (
                name TEXT PRIMARY KEY, space TEXT NOT NULL, strategy TEXT NOT NULL, dataset TEXT NOT NULL, seed INTEGER NOT NULL,
                budget INTEGER NOT NULL, evaluator TEXT NOT NULL, options TEXT NOT NULL, created_utc TEXT NOT NULL, finished_utc TEXT);
            CREATE TABLE trials (
                study TEXT NOT NULL REFERENCES studies(name), number INTEGER NOT NULL, arch TEXT NOT NULL, canonical_hash TEXT NOT NULL,
                score REAL, metrics TEXT NOT NULL, cost_s REAL NOT NULL, wall_s REAL NOT NULL, error TEXT, created_utc TEXT NOT NULL,
                PRIMARY KEY (study, number));
            """, tx);
        Exec(_db, $"INSERT INTO nas_store (key, value) VALUES ('schema_version', '{SchemaVersion}');", tx);
        tx.Commit();
    }

    public StudyRecord? GetStudy(string name) => Guard(() =>
        Query(_db, "SELECT name, space, strategy, dataset, seed, budget, evaluator, options, created_utc, finished_utc FROM studies WHERE name = $n",
            ReadStudy, ("$n", name)).FirstOrDefault());

    public IReadOnlyList<StudySummary> ListStudies() => Guard(() =>
        Query(_db, "SELECT name, space, strategy, dataset, seed, budget, evaluator, options, created_utc, finished_utc FROM studies ORDER BY created_utc, name", ReadStudy)
            .ToList()
            .Select(s =>
            {
                var trials = Trials(s.Name);
                int best = Incumbents.Best(trials);
                return new StudySummary(s, trials.Count, trials.Count(t => t.Result.Failed),
                    best < 0 ? null : trials[best].Result.Score, best < 0 ? null : trials[best].Arch);
            }).ToList());

    public void CreateStudy(StudyRecord study) => Guard(() =>
    {
        Exec(_db, "INSERT INTO studies (name, space, strategy, dataset, seed, budget, evaluator, options, created_utc) VALUES ($n, $sp, $st, $d, $seed, $b, $e, $o, $c)", null,
            ("$n", study.Name), ("$sp", study.Space), ("$st", study.Strategy), ("$d", study.Dataset), ("$seed", study.Seed),
            ("$b", study.Budget), ("$e", study.Evaluator), ("$o", study.Options), ("$c", Now()));
        return 0;
    });

    public void UpdateBudget(string study, int budget) => Guard(() =>
        Exec(_db, "UPDATE studies SET budget = $b, finished_utc = NULL WHERE name = $n", null, ("$b", budget), ("$n", study)));

    public void MarkFinished(string study) => Guard(() =>
        Exec(_db, "UPDATE studies SET finished_utc = $f WHERE name = $n", null, ("$f", Now()), ("$n", study)));

    public void AppendTrial(string study, TrialRecord trial) => Guard(() =>
        Exec(_db, "INSERT INTO trials (study, number, arch, canonical_hash, score, metrics, cost_s, wall_s, error, created_utc) VALUES ($s, $k, $a, $h, $score, $m, $c, $w, $e, $t)", null,
            ("$s", study), ("$k", trial.Number), ("$a", trial.Arch), ("$h", trial.CanonicalHash),
            ("$score", trial.Result.Failed || !double.IsFinite(trial.Result.Score) ? null : trial.Result.Score),
            ("$m", JsonSerializer.Serialize(trial.Result.Metrics, Json)), ("$c", trial.Result.CostSeconds), ("$w", trial.WallSeconds),
            ("$e", trial.Result.Error), ("$t", Now())));

    /// <summary>The study's trials in order (numbers 1..n without gaps; a gap means the file was edited and is refused).</summary>
    public IReadOnlyList<TrialRecord> Trials(string study) => Guard(() =>
    {
        var list = Query(_db, "SELECT number, arch, canonical_hash, score, metrics, cost_s, wall_s, error FROM trials WHERE study = $s ORDER BY number", r =>
        {
            var metrics = JsonSerializer.Deserialize<Dictionary<string, double?>>(r.GetString(4), Json)
                          ?? throw new NasDataException($"Run store '{Path}': trial {r.GetInt32(0)} of '{study}' has no metrics.");
            var result = new TrialResult(r.IsDBNull(3) ? double.NaN : r.GetDouble(3), metrics, r.GetDouble(5), r.IsDBNull(7) ? null : r.GetString(7));
            return new TrialRecord(r.GetInt32(0), r.GetString(1), r.GetString(2), result, r.GetDouble(6));
        }, ("$s", study)).ToList();
        for (int i = 0; i < list.Count; i++)
            if (list[i].Number != i + 1) throw new NasDataException($"Run store '{Path}': study '{study}' is missing trial {i + 1}; the file was edited. Start a new study.");
        return list;
    });

    public void Dispose() => _db.Dispose();

    private static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private T Guard<T>(Func<T> work)
    {
        try { return work(); }
        catch (SqliteException e) { throw Explain(Path, e); }
        catch (JsonException e) { throw new NasDataException($"Run store '{Path}' holds unreadable metrics ({e.Message}); the file was edited or is corrupt.", e); }
    }

    private static StudyRecord ReadStudy(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt32(4), r.GetInt32(5), r.GetString(6), r.GetString(7))
        { CreatedUtc = r.GetString(8), FinishedUtc = r.IsDBNull(9) ? null : r.GetString(9) };

    private static int Exec(SqliteConnection db, string sql, SqliteTransaction? tx = null, params (string Name, object? Value)[] args)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        return cmd.ExecuteNonQuery();
    }

    private static IEnumerable<T> Query<T>(SqliteConnection db, string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] args)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v ?? DBNull.Value);
        using var r = cmd.ExecuteReader();
        var list = new List<T>();
        while (r.Read()) list.Add(read(r));
        return list;
    }
}
