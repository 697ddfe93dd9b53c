"""One module per pipeline stage; each is a plain function over plain data."""
