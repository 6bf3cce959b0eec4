using System.Text.Json;
using System.Text.Json.Serialization;

namespace NasSharp.Spaces.UserDefined;

/// <summary>
/// The building blocks a user-defined op may use. Each maps C channels to C channels at the same resolution:
/// <c>conv</c> (ReLU → Conv k×k → BN, as NB201), <c>sep_conv</c> (DARTS' doubled depth-wise separable conv), <c>dil_conv</c>
/// (depth-wise dilated conv → 1×1 → BN), <c>avg_pool</c>/<c>max_pool</c> (k×k, stride 1), <c>identity</c>, <c>zero</c>.
/// </summary>
public enum UserPrimitive { Conv, SepConv, DilConv, AvgPool, MaxPool, Identity, Zero }

/// <summary>One operation of a user-defined space, validated: name, English description, primitive and its parameters.</summary>
public sealed record UserOp(string Name, string Description, UserPrimitive Primitive, int Kernel, int Dilation)
{
    /// <summary>What the op computes, independent of its name: two ops with the same signature are the same function.</summary>
    public string Signature => Primitive switch
    {
        UserPrimitive.Identity => "identity",
        UserPrimitive.Zero => "zero",
        UserPrimitive.DilConv => $"dil_conv{Kernel}d{Dilation}",
        _ => $"{PrimitiveName(Primitive)}{Kernel}",
    };

    public static string PrimitiveName(UserPrimitive p) => p switch
    {
        UserPrimitive.Conv => "conv", UserPrimitive.SepConv => "sep_conv", UserPrimitive.DilConv => "dil_conv",
        UserPrimitive.AvgPool => "avg_pool", UserPrimitive.MaxPool => "max_pool", UserPrimitive.Identity => "identity",
        _ => "zero",
    };
}

/// <summary>
/// The JSON file that defines a cell search space (docs/spaces.md, example docs/examples/user_space.json):
/// <code>
/// { "name": "my_cell", "title": "...", "placement": "edges" | "nodes", "nodes": 4,
///   "edges": "all" | [[0,1],[0,2],[1,2],...],
///   "ops": [ { "name": "conv3", "description": "Convolution 3 by 3", "primitive": "conv", "kernel": 3 }, ... ] }
/// </code>
/// Node 0 is the cell input and node nodes−1 the output. With ops on edges every listed edge carries one op; with ops on
/// nodes every inner node 1..nodes−2 carries one op and the edges are the fixed data flow. Unknown fields are errors.
/// </summary>
public sealed class UserSpaceFile
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("title")] public string? Title { get; set; }
    [JsonPropertyName("placement")] public string? Placement { get; set; }
    [JsonPropertyName("nodes")] public int? Nodes { get; set; }
    [JsonPropertyName("edges")] public JsonElement Edges { get; set; }
    [JsonPropertyName("ops")] public List<UserOpFile>? Ops { get; set; }
}

public sealed class UserOpFile
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("primitive")] public string? Primitive { get; set; }
    [JsonPropertyName("kernel")] public int? Kernel { get; set; }
    [JsonPropertyName("dilation")] public int? Dilation { get; set; }
}
