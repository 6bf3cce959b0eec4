using static TorchSharp.torch;

namespace NasSharp.Export.Translation;

/// <summary>
/// Writes one kind of module (one .NET type) into an ONNX graph. A new module type plugs in by registering a translator in
/// <see cref="ModuleTranslators"/>; the exporter itself never names concrete modules.
/// </summary>
public interface IModuleTranslator
{
    /// <summary>The module type this translator handles (exactly this type).</summary>
    Type ModuleType { get; }

    /// <summary>Emits the eval-mode computation of <paramref name="module"/> on the value <paramref name="input"/>; returns the output value's name.</summary>
    string Translate(OnnxEmitter emitter, nn.Module module, string input, string path);
}

/// <summary>Typed base: implement <see cref="Translate(OnnxEmitter, T, string, string)"/> for modules of type <typeparamref name="T"/>.</summary>
public abstract class ModuleTranslator<T> : IModuleTranslator where T : nn.Module
{
    public Type ModuleType => typeof(T);

    public string Translate(OnnxEmitter emitter, nn.Module module, string input, string path) => Translate(emitter, (T)module, input, path);

    protected abstract string Translate(OnnxEmitter e, T module, string input, string path);
}

/// <summary>Raised for a module the exporter has no translator for (or a setting of it ONNX cannot express); names the module's path and type.</summary>
public sealed class UnsupportedModuleException(string modulePath, Type moduleType, string reason)
    : NasInputException($"ONNX export: module '{modulePath}' of type {moduleType.FullName} {reason}")
{
    public string ModulePath { get; } = modulePath;
    public Type ModuleType { get; } = moduleType;
}
