# Stan's NUTS on the wide regression (posteriordb diamonds' Stan code, with Stan 2.21's normal_id_glm): 4 chains of
# 1,000 draws after 1,000 warm-up, one core; prints seconds, the smallest bulk ESS, ESS/s, leapfrogs and µs per leapfrog.
library(rstan)
rstan_options(auto_write = FALSE)
here <- dirname(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE)))
code <- "data { int<lower=1> N; int<lower=1> K; matrix[N, K] Xc; vector[N] Y; }
parameters { vector[K] b; real Intercept; real<lower=0> sigma; }
model { target += normal_id_glm_lpdf(Y | Xc, Intercept, b, sigma); target += student_t_lpdf(Intercept | 3, 8, 10); target += student_t_lpdf(sigma | 3, 0, 10); }"
data <- jsonlite::fromJSON(file.path(here, "data.json"))
m <- stan_model(model_code = code)
fit <- sampling(m, data = data, chains = 4, iter = 2000, warmup = 1000, seed = 1, cores = 1, refresh = 0)
secs <- sum(get_elapsed_time(fit))
mon <- monitor(as.array(fit), warmup = 0, print = FALSE)
ess <- min(mon[rownames(mon) != "lp__", "Bulk_ESS"])
leapfrogs <- sum(sapply(get_sampler_params(fit, inc_warmup = TRUE), function(x) sum(x[, "n_leapfrog__"])))
cat(sprintf("stan: %.2f s, min bulk ESS %.0f, ESS/s %.0f, %d leapfrogs, %.1f us each\n", secs, ess, ess / secs, leapfrogs, 1e6 * secs / leapfrogs))
