"""Entity recognition for Vietnamese news: knowledge-base name matching, a statistical recogniser
for the names the KB lacks, linking and disambiguation, and clustering of new entities."""
