// Building a network draws its initial weights from torch's one global generator, and many tests seed it with
// torch.manual_seed: test classes running in parallel would interleave their draws and break reproducibility tests.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
