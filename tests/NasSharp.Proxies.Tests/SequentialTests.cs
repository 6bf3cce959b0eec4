// Proxy sessions seed torch's global generator before building a network; sequential test classes keep the draws of
// one test from interleaving with another's.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
