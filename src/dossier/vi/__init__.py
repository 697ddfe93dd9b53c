"""Vietnamese text: normalisation, folding for matching, word lists."""
