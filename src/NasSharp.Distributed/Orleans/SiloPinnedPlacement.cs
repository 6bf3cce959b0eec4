using Orleans;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace NasSharp.Distributed.Orleans;

/// <summary>Placement that puts a grain on the silo whose parsable address is the grain's string key.</summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("NasSharp.SiloPinnedPlacement")]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    public static readonly SiloPinnedPlacement Instance = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPinnedPlacementAttribute() : PlacementAttribute(SiloPinnedPlacement.Instance);

/// <summary>Resolves <see cref="SiloPinnedPlacement"/>: the silo named by the key, or an error when it left the cluster.</summary>
public sealed class SiloPinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString()!;
        foreach (var silo in context.GetCompatibleSilos(target))
            if (silo.ToParsableString() == key) return Task.FromResult(silo);
        throw new SiloUnavailableException($"Worker silo {key} is not an active member of the cluster.");
    }
}
