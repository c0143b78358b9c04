# Writes the HSMM myoblast cells (Trapnell et al. 2014, Debian's r-bioc-hsmmsinglecell) as a count folder in
# ../shared/data's conventions, for building real pseudo-spatial pairs (a fixture, not part of the product):
# FPKM rounded to integers, genes detected in at least 10 cells, then the 1,000 of highest variance of log(1 + x).
#
#   apt-get install r-bioc-hsmmsinglecell
#   Rscript tools/data/export_hsmm.R OUT
#   /usr/bin/python3 tools/data/make_gimvi_pair.py OUT PAIR --spatial-genes 80 --seed 1
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript tools/data/export_hsmm.R OUT")
out <- args[1]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
data <- "/usr/lib/R/site-library/HSMMSingleCell/data"
load(file.path(data, "HSMM_expr_matrix.rda"))
load(file.path(data, "HSMM_sample_sheet.rda"))
x <- round(as.matrix(HSMM_expr_matrix))
x <- x[rowSums(x > 0) >= 10, ]
x <- x[order(-apply(log1p(x), 1, var))[1:1000], ]
writeLines(rownames(x), file.path(out, "genes.tsv"))
writeLines(colnames(x), file.path(out, "cells.tsv"))
entries <- which(x != 0, arr.ind = TRUE)
entries <- entries[order(entries[, 2], entries[, 1]), ]
con <- file(file.path(out, "counts.mtx"), "w")
writeLines("%%MatrixMarket matrix coordinate integer general", con)
writeLines(paste(nrow(x), ncol(x), nrow(entries)), con)
writeLines(paste(entries[, 1], entries[, 2], as.integer(x[entries])), con)
close(con)
write.csv(data.frame(cell = colnames(x), HSMM_sample_sheet[colnames(x), ]), file.path(out, "cells_metadata.csv"), row.names = FALSE)
cat(nrow(x), "genes x", ncol(x), "cells written to", out, "\n")
