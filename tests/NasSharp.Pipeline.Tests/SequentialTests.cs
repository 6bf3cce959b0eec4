// Networks draw their initial weights from torch's one global generator (seeded per run): classes must not interleave.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
