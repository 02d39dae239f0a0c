"""统计分析: what an agency subtree received, accepted and finished, counted in SQL."""
