"""WHERE IT LIVES: the Store protocol and its implementations."""
