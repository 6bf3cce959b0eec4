using NasSharp.Spaces;

namespace NasSharp.Search.Strategies.Bananas;

/// <summary>
/// What a candidate source gets each acquisition round: the successful observations so far, how many candidates are
/// wanted, the strategy's own random stream (draw seeds from it, so a replay reproduces them) and a test for
/// architectures already proposed (by canonical hash).
/// </summary>
public sealed record CandidateRequest(ISearchSpace Space, IReadOnlyList<(Architecture Arch, double Score)> Observed, int Count, int Round,
    Random Rng, Func<Architecture, bool> IsSeen);

/// <summary>
/// The acquisition-optimisation step of a BO strategy: where the pool comes from that the acquisition function ranks.
/// BANANAS mutates its best architectures (<see cref="MutationCandidates"/>); DiffusionNAG-BO generates with guidance.
/// </summary>
public interface ICandidateSource
{
    /// <summary>Up to <c>Count</c> distinct candidates that are not seen yet (fewer when the source runs dry).</summary>
    IReadOnlyList<Architecture> Propose(CandidateRequest request);
}

/// <summary>BANANAS' pool: unseen single mutations of the <paramref name="archesToMutate"/> best observations, cycled in order.</summary>
public sealed class MutationCandidates(int archesToMutate) : ICandidateSource
{
    public IReadOnlyList<Architecture> Propose(CandidateRequest request)
    {
        var parents = request.Observed.OrderByDescending(t => t.Score).Take(archesToMutate).Select(t => t.Arch).ToList();
        var candidates = new List<Architecture>();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (int tries = 0; candidates.Count < request.Count && tries < request.Count * 20; tries++)
        {
            var child = request.Space.Mutate(parents[tries % parents.Count], request.Rng);
            if (!request.IsSeen(child) && hashes.Add(request.Space.CanonicalHash(child))) candidates.Add(child);
        }
        return candidates;
    }
}
