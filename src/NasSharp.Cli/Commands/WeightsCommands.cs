using System.CommandLine;
using NasSharp.Diffusion.Model;
using NasSharp.TgNas.Model;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>
/// `nas weights upgrade FILE…`: re-saves TG-NAS (.tgnas) and DiffusionNAG (.dnag) weights of format 1 (no checksum) in
/// format 2 (SHA-256 of the file at its end). The tensors are loaded with the old reader, checked to be finite, and
/// written unchanged; a file already in format 2 is verified and left alone. Loading a format-1 file anywhere else is
/// refused with a message pointing here, so weights of unknown integrity are never used silently.
/// </summary>
public static class WeightsCommands
{
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("weights", "NasSharp's own weights files (.tgnas, .dnag).");
        var files = new Argument<string[]>("files") { Description = "Weights files to upgrade in place.", Arity = ArgumentArity.OneOrMore };
        var upgrade = new Command("upgrade", "Re-save format-1 weights (no checksum) in format 2 after checking every weight is finite.") { files };
        upgrade.SetAction(r =>
        {
            var rows = new List<Dictionary<string, object?>>();
            foreach (var file in r.GetValue(files)!)
            {
                string format = Upgrade(file, out bool rewritten);
                rows.Add(new() { ["file"] = Path.GetFullPath(file), ["format"] = format, ["rewritten"] = rewritten });
                if (!ctx.Json(r))
                    ctx.Console.MarkupLine(Markup.Escape(rewritten ? $"Re-saved {file} ({format}) with a SHA-256 checksum." : $"{file} ({format}) already has a checksum; verified, unchanged."));
            }
            if (ctx.Json(r)) ctx.WriteJson(rows);
            return 0;
        });
        cmd.Subcommands.Add(upgrade);
        return cmd;
    }

    /// <summary>Loads <paramref name="file"/> (format 1 accepted), and re-saves it when it has no checksum yet.</summary>
    private static string Upgrade(string file, out bool rewritten)
    {
        if (!File.Exists(file)) throw new NasInputException($"Weights file '{file}' not found.");
        bool HasChecksum(Func<string, object> strictLoad)
        {
            try { (strictLoad(file) as IDisposable)?.Dispose(); return true; }
            catch (NasDataException e) when (e.Message.Contains("format 1", StringComparison.Ordinal)) { return false; }
        }
        if (ScoreModel.WeightsKind(file) is { } kind)
        {
            bool score = kind == "score";
            rewritten = !HasChecksum(f => score ? ScoreModel.Load(f) : PredictorModel.Load(f));
            if (rewritten)
            {
                if (score) { using var m = ScoreModel.Load(file, acceptUnchecked: true); m.Save(file); }
                else { using var m = PredictorModel.Load(file, acceptUnchecked: true); m.Save(file); }
            }
            return $"DiffusionNAG {kind}";
        }
        rewritten = !HasChecksum(f => TgNasPredictor.Load(f));
        if (rewritten) { using var p = TgNasPredictor.Load(file, acceptUnchecked: true); p.Save(file); }
        return "TG-NAS";
    }
}
