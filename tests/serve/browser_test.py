print("SKIP browser: not yet")
