# The notebooks here are fixtures of tests/test_report*.py (one fails on purpose, one sleeps until it is
# killed): pytest's --nbval must not collect them as notebook tests.
collect_ignore_glob = ["*.ipynb", "*/*.ipynb"]
