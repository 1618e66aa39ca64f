"""The sample project of DW604's examples."""
