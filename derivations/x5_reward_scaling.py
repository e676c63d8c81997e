"""Beyond the paper -- reward scaling: std per group, per batch, none, dynamic sampling."""
