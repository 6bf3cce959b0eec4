using NasSharp.Spaces;

namespace NasSharp.Search.Strategies;

/// <param name="InitialSamples">Random architectures evaluated before climbing from the best of them (NASLib: 10).</param>
public sealed record LocalSearchOptions(int InitialSamples = 10);

/// <summary>
/// First-improvement hill climbing (White et al. 2021, "Local search is state of the art for NAS benchmarks"): after
/// <c>InitialSamples</c> random proposals, climb from the best one by evaluating its unseen neighbours in random order and
/// moving to the first that scores higher; at a local optimum (all neighbours seen, none better) restart from a fresh
/// random architecture.
/// </summary>
public sealed class LocalSearch : ISearchStrategy
{
    private enum Role { Initial, Restart, Neighbour }

    private readonly ISearchSpace _space;
    private readonly LocalSearchOptions _options;
    private readonly Random _rng;
    private readonly SeenArchitectures _seen;
    private readonly Dictionary<Architecture, Role> _pending = new();
    private readonly Queue<Architecture> _neighbours = new();
    private (Architecture Arch, double Score)? _current, _bestInitial;
    private int _asked, _initialTold;
    private bool _restartPending;

    public LocalSearch(ISearchSpace space, int seed, LocalSearchOptions? options = null)
    {
        _options = options ?? new();
        if (_options.InitialSamples < 1) throw new NasInputException($"initial samples must be at least 1, got {_options.InitialSamples}.");
        _space = space;
        _rng = new Random(seed);
        _seen = new SeenArchitectures(space);
    }

    public string Name => "ls";

    public Architecture Ask()
    {
        _asked++;
        if (_asked <= _options.InitialSamples) return Propose(_seen.DrawFresh(() => _space.Sample(_rng)), Role.Initial);
        if (_current is null && _bestInitial is not null && !_restartPending) _current = _bestInitial;
        if (_current is { } cur)
        {
            if (_neighbours.Count == 0) Refill(cur.Arch);
            while (_neighbours.Count > 0)
            {
                var n = _neighbours.Dequeue();
                if (_seen.Add(n)) return Propose(n, Role.Neighbour);
            }
        }
        // Local optimum (or no climbable start yet): restart from a fresh random architecture.
        _current = null;
        _restartPending = true;
        return Propose(_seen.DrawFresh(() => _space.Sample(_rng)), Role.Restart);
    }

    public void Tell(Architecture arch, TrialResult result)
    {
        var role = _pending.Remove(arch, out var r) ? r : Role.Neighbour;
        switch (role)
        {
            case Role.Initial:
                _initialTold++;
                if (!result.Failed && (_bestInitial is null || result.Score > _bestInitial.Value.Score)) _bestInitial = (arch, result.Score);
                break;
            case Role.Restart:
                _restartPending = false;
                if (!result.Failed) { _current = (arch, result.Score); _neighbours.Clear(); }
                break;
            default:
                if (!result.Failed && _current is { } cur && result.Score > cur.Score) { _current = (arch, result.Score); _neighbours.Clear(); }
                break;
        }
    }

    private Architecture Propose(Architecture arch, Role role)
    {
        _pending[arch] = role;
        return arch;
    }

    private void Refill(Architecture center)
    {
        var list = _space.Neighbours(center).ToList();
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = _rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        foreach (var n in list) if (!_seen.Contains(n)) _neighbours.Enqueue(n);
    }
}
