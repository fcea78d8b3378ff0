"""Juanzong 卷宗: composition root (settings, wiring, command line)."""
