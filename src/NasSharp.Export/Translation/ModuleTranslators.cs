using NasSharp.Export.Translators;

namespace NasSharp.Export.Translation;

/// <summary>
/// The translators the exporter knows, by exact module type (a subclass may override forward, so it is never written as
/// its base: it needs its own translator). <see cref="Default"/> holds every built-in
/// translator; <see cref="With"/> gives a copy with more (e.g. for a new space's module) without touching the default.
/// </summary>
public sealed class ModuleTranslators
{
    private readonly Dictionary<Type, IModuleTranslator> _byType = [];

    public static ModuleTranslators Default { get; } = Builtin();

    public ModuleTranslators(IEnumerable<IModuleTranslator> translators)
    {
        foreach (var t in translators) _byType[t.ModuleType] = t;
    }

    public IReadOnlyCollection<Type> SupportedTypes => _byType.Keys;

    public ModuleTranslators With(params IModuleTranslator[] more) => new(_byType.Values.Concat(more));

    public IModuleTranslator? Find(Type moduleType) => _byType.GetValueOrDefault(moduleType);

    private static ModuleTranslators Builtin() => new(
    [
        .. TorchLayerTranslators.All,
        .. CellTranslators.All,
        .. DartsTranslators.All,
        .. Mbv3Translators.All,
    ]);
}
