using System.Globalization;
using System.Text;

namespace NasSharp.Pipeline;

/// <summary>Writes report.md and its PNG plots into the run directory; returns the file names written.</summary>
public static class RunReport
{
    public static IReadOnlySet<string> Write(RunDirectory dir, RunResult r)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        var s = r.Search;
        var t = r.Train;
        var e = r.Export;
        var md = new StringBuilder();
        md.AppendLine($"# NasSharp run: {s.Strategy} on {r.Settings.Search["space"]}, winner trained on {t.Data}").AppendLine();
        md.AppendLine("| | |").AppendLine("|---|---|");
        Row(md, "found architecture", $"`{s.Arch}`");
        Row(md, "search score", F(s.Score));
        Row(md, $"table test accuracy ({s.TableDataset ?? "no table"})", s.TableAccuracy is { } ta ? $"{F(ta, "F2")} % (best in table {F(s.TableBestAccuracy ?? double.NaN, "F2")} %)" : "n/a");
        Row(md, "evaluations", s.Evaluations.ToString(CultureInfo.InvariantCulture));
        Row(md, $"{t.Data} test accuracy", $"**{F(t.TestAccuracy, "F2")} %** on {t.TestImages:N0} test images after {t.Epochs} epoch(s) on {t.TrainImages:N0} training images");
        Row(md, "parameters", t.Parameters.ToString("N0", CultureInfo.InvariantCulture));
        Row(md, "ONNX max abs diff (vs TorchSharp)", $"{e.MaxAbsDiff:E2} ({(e.Verified ? "verified" : "NOT verified")}, tolerance {e.Tolerance:E0})");
        Row(md, "time: search / train / export", $"{F(s.Seconds, "F1")} s / {F(t.Seconds, "F1")} s / {F(e.Seconds, "F1")} s");
        Row(md, "search ran", s.RanOn);
        if (r.ReusedStages.Count > 0) Row(md, "reused from an earlier run (--resume)", string.Join(", ", r.ReusedStages));
        if (t.ResumedAfterEpoch > 0) Row(md, "training resumed after epoch", t.ResumedAfterEpoch.ToString(CultureInfo.InvariantCulture));
        md.AppendLine();

        md.AppendLine("## Settings").AppendLine().AppendLine("| setting | value |").AppendLine("|---|---|");
        foreach (var (k, v) in r.Settings.Search.Concat(r.Settings.Train).DistinctBy(kv => kv.Key)) Row(md, k, v == "" ? "(none)" : $"`{v}`");
        Row(md, "torch threads", t.Threads.ToString(CultureInfo.InvariantCulture));
        md.AppendLine();

        md.AppendLine("## Search").AppendLine();
        if (s.Trajectory.Count > 0)
        {
            RunPlots.SearchTrajectory(dir[RunDirectory.TrajectoryPlot], s);
            written.Add(RunDirectory.TrajectoryPlot);
            md.AppendLine($"![search trajectory]({RunDirectory.TrajectoryPlot})").AppendLine();
        }
        int known = s.Candidates.Count(c => c.TableAccuracy is not null);
        if (known >= 2)
        {
            double tau = RunPlots.ProxyVsAccuracy(dir[RunDirectory.ProxyPlot], s);
            written.Add(RunDirectory.ProxyPlot);
            md.AppendLine($"![search score vs table accuracy]({RunDirectory.ProxyPlot})").AppendLine();
            md.AppendLine(s.CandidateSource == "sample"
                ? $"{known} candidates: {s.Strategy} does not expose the architectures it scored, so these are a seeded random sample of the space plus the winner, scored with the same proxy. Kendall tau-b {F(tau, "F3")}."
                : $"The {known} candidates the search evaluated. Kendall tau-b between search score and table accuracy {F(tau, "F3")}.").AppendLine();
        }
        else md.AppendLine("No score-vs-accuracy plot: " + (s.TableDataset is null ? "the space has no benchmark table in the data directory." : "fewer than two candidates with a table value.")).AppendLine();

        md.AppendLine("## Training").AppendLine();
        RunPlots.TrainingCurve(dir[RunDirectory.TrainingPlot], t);
        written.Add(RunDirectory.TrainingPlot);
        md.AppendLine($"![training curve]({RunDirectory.TrainingPlot})").AppendLine();
        md.AppendLine("| epoch | train loss | train acc (%) | test loss | test acc (%) | seconds |").AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var h in t.History)
            md.AppendLine($"| {h.Epoch} | {F(h.TrainLoss)} | {F(h.TrainAccuracy, "F2")} | {F(h.TestLoss)} | {F(h.TestAccuracy, "F2")} | {F(h.Seconds, "F1")} |");
        md.AppendLine();

        md.AppendLine("## ONNX export").AppendLine();
        md.AppendLine($"`{e.File}`: {e.Bytes:N0} bytes, {e.Nodes} nodes ({e.Operators}). Run in ONNX Runtime on a seeded random batch of 4 next to TorchSharp: max abs diff {e.MaxAbsDiff:E2}.").AppendLine();
        File.WriteAllText(dir[RunDirectory.ReportFile], md.ToString());
        written.Add(RunDirectory.ReportFile);
        return written;
    }

    private static void Row(StringBuilder md, string key, string value) => md.AppendLine($"| {key} | {value.Replace("|", "\\|")} |");

    private static string F(double v, string format = "F4") => v.ToString(format, CultureInfo.InvariantCulture);
}
