// Every test starts real server processes; on a shared two-core machine they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
