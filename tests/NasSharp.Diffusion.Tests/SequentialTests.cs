// Tests draw from torch's single global generator: classes running in parallel would interleave their draws and
// break same-seed-same-result checks, so this assembly runs its tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
