using System.Text.RegularExpressions;
using NasSharp.Spaces;

namespace NasSharp.TgNas.Text;

/// <summary>
/// The English sentences TG-NAS embeds, one per operator. A space's <see cref="ISearchSpace.Operations"/> supplies them;
/// users may override or add operators in their own words (<c>--op "name=description"</c>) — that is TG-NAS's point:
/// an unseen operator needs a sentence, not retraining.
/// </summary>
public static partial class OperatorDescriptions
{
    /// <summary>The cell input/output pseudo-ops added by the ops-on-edges → ops-on-nodes conversion (paper's short strings).</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [ArchitectureConversion.InputOp] = "Input",
        [ArchitectureConversion.OutputOp] = "Output",
    };

    public const int MaxWords = 40;

    /// <summary>Operator name → description for a space, with the user's overrides applied last.</summary>
    public static IReadOnlyDictionary<string, string> For(ISearchSpace space, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var map = new Dictionary<string, string>(Defaults, StringComparer.Ordinal);
        foreach (var op in space.Operations) map[op.Name] = Validate(op.Name, op.Description);
        if (overrides is not null)
            foreach (var (name, text) in overrides) map[name] = Validate(name, text);
        return map;
    }

    /// <summary>Parses <c>name=description</c> options (the description may itself contain '=').</summary>
    public static IReadOnlyDictionary<string, string> ParseOverrides(IEnumerable<string> options)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in options)
        {
            int eq = o.IndexOf('=');
            if (eq <= 0) throw new NasInputException($"--op '{o}' must be NAME=DESCRIPTION, e.g. --op \"sep_conv_3x3=Depth-wise separable convolution 3 by 3\".");
            var name = o[..eq].Trim();
            map[name] = Validate(name, o[(eq + 1)..]);
        }
        return map;
    }

    /// <summary>Collapses whitespace (the tokenizer ignores it) and rejects what cannot describe an operator.</summary>
    public static string Validate(string op, string? description)
    {
        var text = Whitespace().Replace(description ?? "", " ").Trim();
        string Fix = $"Describe operator '{op}' in a short English phrase, e.g. --op \"{op}=Convolution 3 by 3\".";
        if (text.Length == 0) throw new NasInputException($"Operator '{op}' has an empty description. {Fix}");
        if (!text.Any(char.IsLetter)) throw new NasInputException($"The description '{MiniLmEncoder.Shorten(text)}' of operator '{op}' has no words. {Fix}");
        int words = text.Split(' ').Length;
        if (words > MaxWords) throw new NasInputException($"The description of operator '{op}' has {words} words; TG-NAS uses short phrases (at most {MaxWords} words). {Fix}");
        if (text.Count(char.IsLetter) < text.Length / 2) throw new NasInputException($"The description '{MiniLmEncoder.Shorten(text)}' of operator '{op}' is mostly symbols, not words. {Fix}");
        return text;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
