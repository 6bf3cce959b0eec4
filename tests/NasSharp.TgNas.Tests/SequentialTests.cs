// Model and search tests both seed torch's single global generator: run them one at a time so seeds stay meaningful.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
