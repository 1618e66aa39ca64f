"""What every hook shares: scope, config, suppression, reporting and the one batched walk."""
