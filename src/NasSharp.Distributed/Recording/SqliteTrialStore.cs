using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NasSharp.Search;

namespace NasSharp.Distributed.Recording;

/// <summary>
/// A SQLite-backed <see cref="ITrialSink"/>: one row per (study, trial id), enforced by the primary key, so recording
/// the same trial twice (a re-delivered result, a coordinator that re-tells after a restart) keeps the first row only.
/// Dispatches are kept in a second table so a restarted coordinator knows which trials were running, and where.
/// </summary>
public sealed class SqliteTrialStore : ITrialSink, IDisposable
{
    // Metrics keep NaN/Infinity as named literals so a bad value is stored as what it was, not dropped.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly SqliteConnection _db;
    private readonly object _gate = new();

    public SqliteTrialStore(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new NasInputException("The run store path is empty; give --store FILE.db.");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        FilePath = path;
        _db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _db.Open();
        Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
        Exec("""
            CREATE TABLE IF NOT EXISTS cluster_trials(
              study TEXT NOT NULL, trial_id INTEGER NOT NULL, seq INTEGER NOT NULL, arch TEXT NOT NULL,
              score REAL, metrics TEXT NOT NULL, cost_s REAL NOT NULL, error TEXT, attempts INTEGER NOT NULL,
              worker TEXT, recorded_utc TEXT NOT NULL,
              PRIMARY KEY(study, trial_id));
            CREATE TABLE IF NOT EXISTS cluster_dispatched(
              study TEXT NOT NULL, trial_id INTEGER NOT NULL, arch TEXT NOT NULL, attempt INTEGER NOT NULL, worker TEXT NOT NULL,
              PRIMARY KEY(study, trial_id));
            """);
    }

    public string FilePath { get; }

    public bool TryRecord(string study, TrialRecord t)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = """
                INSERT OR IGNORE INTO cluster_trials(study, trial_id, seq, arch, score, metrics, cost_s, error, attempts, worker, recorded_utc)
                VALUES($s, $id, (SELECT COALESCE(MAX(seq), -1) + 1 FROM cluster_trials WHERE study = $s), $a, $score, $m, $c, $e, $n, $w, $t)
                """;
            cmd.Parameters.AddWithValue("$s", study);
            cmd.Parameters.AddWithValue("$id", t.TrialId);
            cmd.Parameters.AddWithValue("$a", t.Architecture);
            cmd.Parameters.AddWithValue("$score", double.IsFinite(t.Result.Score) ? t.Result.Score : DBNull.Value);
            cmd.Parameters.AddWithValue("$m", JsonSerializer.Serialize(t.Result.Metrics, Json));
            cmd.Parameters.AddWithValue("$c", t.Result.CostSeconds);
            cmd.Parameters.AddWithValue("$e", (object?)t.Result.Error ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$n", t.Attempts);
            cmd.Parameters.AddWithValue("$w", (object?)t.Worker ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$t", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            return cmd.ExecuteNonQuery() == 1;
        }
    }

    public IReadOnlyList<TrialRecord> Load(string study)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT trial_id, arch, score, metrics, cost_s, error, attempts, worker FROM cluster_trials WHERE study = $s ORDER BY seq";
            cmd.Parameters.AddWithValue("$s", study);
            using var r = cmd.ExecuteReader();
            var list = new List<TrialRecord>();
            while (r.Read())
            {
                var metrics = JsonSerializer.Deserialize<Dictionary<string, double?>>(r.GetString(3), Json) ?? new();
                var result = new TrialResult(r.IsDBNull(2) ? double.NaN : r.GetDouble(2), metrics, r.GetDouble(4), r.IsDBNull(5) ? null : r.GetString(5));
                list.Add(new TrialRecord(r.GetInt64(0), r.GetString(1), result, r.GetInt32(6), r.IsDBNull(7) ? null : r.GetString(7)));
            }
            return list;
        }
    }

    public void NoteDispatched(string study, DispatchedTrial t)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "INSERT OR REPLACE INTO cluster_dispatched(study, trial_id, arch, attempt, worker) VALUES($s, $id, $a, $n, $w)";
            cmd.Parameters.AddWithValue("$s", study);
            cmd.Parameters.AddWithValue("$id", t.TrialId);
            cmd.Parameters.AddWithValue("$a", t.Architecture);
            cmd.Parameters.AddWithValue("$n", t.Attempt);
            cmd.Parameters.AddWithValue("$w", t.Worker);
            cmd.ExecuteNonQuery();
        }
    }

    public IReadOnlyList<DispatchedTrial> LoadUnfinished(string study)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = """
                SELECT d.trial_id, d.arch, d.attempt, d.worker FROM cluster_dispatched d
                WHERE d.study = $s AND NOT EXISTS (SELECT 1 FROM cluster_trials t WHERE t.study = d.study AND t.trial_id = d.trial_id)
                ORDER BY d.trial_id
                """;
            cmd.Parameters.AddWithValue("$s", study);
            using var r = cmd.ExecuteReader();
            var list = new List<DispatchedTrial>();
            while (r.Read()) list.Add(new DispatchedTrial(r.GetInt64(0), r.GetString(1), r.GetInt32(2), r.GetString(3)));
            return list;
        }
    }

    /// <summary>Number of rows for a study (tests and status use it to check exactly-once).</summary>
    public int Count(string study)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM cluster_trials WHERE study = $s";
            cmd.Parameters.AddWithValue("$s", study);
            return Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    private void Exec(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _db.Dispose();
}
