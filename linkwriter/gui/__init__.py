"""The Qt layer: widgets, models, workers. All analysis comes from linkwriter.core."""
