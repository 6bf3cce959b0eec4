using System.CommandLine;
using NasSharp.Spaces;
using NasSharp.Spaces.Nb201;
using Spectre.Console;

namespace NasSharp.Cli.Commands;

/// <summary>`nas space list|info|sample`: what the search spaces contain. Needs no data files.</summary>
public static class SpaceCommands
{
    public static Command Create(CliContext ctx)
    {
        var cmd = new Command("space", "Inspect search spaces: list them, describe one, sample architectures.");
        cmd.Subcommands.Add(List(ctx));
        cmd.Subcommands.Add(Info(ctx));
        cmd.Subcommands.Add(Sample(ctx));
        return cmd;
    }

    private static Command List(CliContext ctx)
    {
        var cmd = new Command("list", "List the available search spaces.");
        cmd.SetAction(r =>
        {
            var spaces = SearchSpaces.All.Select(s => new { name = s.Name, title = s.Title, size = s.Size, op_placement = s.Placement, operations = s.Operations.Count }).ToList();
            if (ctx.Json(r)) { ctx.WriteJson(spaces); return 0; }
            var table = new Table().AddColumns("space", "size", "ops on", "description");
            foreach (var s in SearchSpaces.All) table.AddRow(s.Name, s.Size?.ToString("N0") ?? "—", s.Placement.ToString().ToLowerInvariant(), Markup.Escape(s.Title));
            ctx.Console.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Info(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var spaceFile = CommonOptions.SpaceFile();
        var cmd = new Command("info", "Describe a search space: size, operations with their descriptions, isomorphism classes.") { space, spaceFile };
        cmd.SetAction(r =>
        {
            var s = CommonOptions.ResolveSpace(r, space, spaceFile);
            int? isoClasses = null, disconnected = null;
            if (s.CanEnumerate)
            {
                var all = s.Enumerate().ToList();
                isoClasses = all.Select(s.CanonicalHash).Distinct().Count();
                if (s is Nb201Space) disconnected = all.Count(Nb201Space.IsDisconnected);
            }
            var info = new
            {
                name = s.Name, title = s.Title, size = s.Size, op_placement = s.Placement,
                operations = s.Operations.Select(o => new { name = o.Name, description = o.Description }),
                isomorphism_classes = isoClasses,
                isomorphism_classes_published = s is Nb201Space ? 6466 : (int?)null,
                disconnected = disconnected,
            };
            if (ctx.Json(r)) { ctx.WriteJson(info); return 0; }
            var c = ctx.Console;
            c.MarkupLine($"[bold]{Markup.Escape(s.Name)}[/] — {Markup.Escape(s.Title)}");
            c.MarkupLine($"size: {s.Size?.ToString("N0") ?? "unbounded"}; ops on {s.Placement.ToString().ToLowerInvariant()}");
            if (isoClasses is not null)
                c.MarkupLine($"isomorphism classes: {isoClasses:N0}" + (s is Nb201Space ? " (NAS-Bench-201 paper: 6,466)" : ""));
            if (disconnected is not null) c.MarkupLine($"cells whose output is cut off from the input: {disconnected:N0}");
            var table = new Table().AddColumns("operation", "description (embedded by TG-NAS)");
            foreach (var o in s.Operations) table.AddRow(Markup.Escape(o.Name), Markup.Escape(o.Description));
            c.Write(table);
            return 0;
        });
        return cmd;
    }

    private static Command Sample(CliContext ctx)
    {
        var space = CommonOptions.Space();
        var count = new Option<int>("-n", "--count") { Description = "How many architectures.", DefaultValueFactory = _ => 5 };
        var seed = CommonOptions.Seed();
        var spaceFile = CommonOptions.SpaceFile();
        var cmd = new Command("sample", "Draw random architectures from a space (uniform as the space defines it).") { space, spaceFile, count, seed };
        cmd.SetAction(r =>
        {
            var s = CommonOptions.ResolveSpace(r, space, spaceFile);
            int n = r.GetValue(count);
            var rng = new Random(r.GetValue(seed));
            var archs = Enumerable.Range(0, n).Select(_ => s.Sample(rng)).ToList();
            var rows = archs.Select(a => new
            {
                arch = s.Format(a),
                index = s is Nb201Space ? Nb201Index.ToIndex(a) : (int?)null,
                canonical_hash = s.CanonicalHash(a),
            }).ToList();
            if (ctx.Json(r)) { ctx.WriteJson(new { space = s.Name, seed = r.GetValue(seed), architectures = rows }); return 0; }
            var table = new Table().AddColumns("#", "architecture").AddColumn(s is Nb201Space ? "index" : "hash");
            for (int i = 0; i < rows.Count; i++)
                table.AddRow((i + 1).ToString(), Markup.Escape(rows[i].arch), rows[i].index?.ToString() ?? rows[i].canonical_hash);
            ctx.Console.Write(table);
            return 0;
        });
        return cmd;
    }
}
