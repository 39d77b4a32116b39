"""The sandbox lab: Data-Juicer sandbox configs, hooks, data pools, proxy models, Ray-backed experiments."""
