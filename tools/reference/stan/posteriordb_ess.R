# Stan's own NUTS on the thirteen posteriordb posteriors of tests/posteriordb (their Stan code as posteriordb has it): 4 chains of 1,000 draws after 1,000
# warm-up, one core, chains in sequence; prints each posterior's summed chain time (warm-up + sampling), the
# smallest bulk ESS over its parameters and their ratio. Needs r-cran-rstan, r-cran-jsonlite and a symlink from
# BH's include to /usr/include (see README.md here).
library(rstan)
rstan_options(auto_write = FALSE)
set.seed(1)
args <- commandArgs(trailingOnly = TRUE)
fixtures <- if (length(args) > 0) args[1] else "tests/fixtures/posteriordb"
codes <- list(
"kidiq-kidscore_momiq" = "data { int<lower=0> N; vector[N] kid_score; vector[N] mom_iq; }
parameters { vector[2] beta; real<lower=0> sigma; }
model { sigma ~ cauchy(0, 2.5); kid_score ~ normal(beta[1] + beta[2] * mom_iq, sigma); }",
"earnings-logearn_height" = "data { int<lower=0> N; vector[N] earn; vector[N] height; }
transformed data { vector[N] log_earn = log(earn); }
parameters { vector[2] beta; real<lower=0> sigma; }
model { log_earn ~ normal(beta[1] + beta[2] * height, sigma); }",
"mesquite-logmesquite" = "data { int<lower=0> N; vector[N] weight; vector[N] diam1; vector[N] diam2; vector[N] canopy_height; vector[N] total_height; vector[N] density; vector[N] group; }
transformed data { vector[N] lw = log(weight); vector[N] l1 = log(diam1); vector[N] l2 = log(diam2); vector[N] lc = log(canopy_height); vector[N] lt = log(total_height); vector[N] ld = log(density); }
parameters { vector[7] beta; real<lower=0> sigma; }
model { lw ~ normal(beta[1] + beta[2] * l1 + beta[3] * l2 + beta[4] * lc + beta[5] * lt + beta[6] * ld + beta[7] * group, sigma); }",
"eight_schools-eight_schools_noncentered" = "data { int<lower=0> J; real y[J]; real<lower=0> sigma[J]; }
parameters { vector[J] theta_trans; real mu; real<lower=0> tau; }
transformed parameters { vector[J] theta = theta_trans * tau + mu; }
model { theta_trans ~ normal(0, 1); y ~ normal(theta, sigma); mu ~ normal(0, 5); tau ~ cauchy(0, 5); }",
"sblri-blr" = "data { int<lower=0> N; int<lower=0> D; matrix[N, D] X; vector[N] y; }
parameters { vector[D] beta; real<lower=0> sigma; }
model { target += normal_lpdf(beta | 0, 10); target += normal_lpdf(sigma | 0, 10); target += normal_lpdf(y | X * beta, sigma); }",
"low_dim_gauss_mix-low_dim_gauss_mix" = "data { int<lower=0> N; vector[N] y; }
parameters { ordered[2] mu; real<lower=0> sigma[2]; real<lower=0, upper=1> theta; }
model { sigma ~ normal(0, 2); mu ~ normal(0, 2); theta ~ beta(5, 5);
  for (n in 1:N) target += log_mix(theta, normal_lpdf(y[n] | mu[1], sigma[1]), normal_lpdf(y[n] | mu[2], sigma[2])); }",
"earnings-logearn_interaction_z" = "data { int<lower=0> N; vector[N] earn; vector[N] height; vector[N] male; }
transformed data { vector[N] log_earn = log(earn); vector[N] z_height = (height - mean(height)) / sd(height); vector[N] inter = z_height .* male; }
parameters { vector[4] beta; real<lower=0> sigma; }
model { log_earn ~ normal(beta[1] + beta[2] * z_height + beta[3] * male + beta[4] * inter, sigma); }",
"diamonds-diamonds" = "data { int<lower=1> N; vector[N] Y; int<lower=1> K; matrix[N, K] X; int prior_only; }
transformed data { int Kc = K - 1; matrix[N, Kc] Xc; vector[Kc] means_X;
  for (i in 2:K) { means_X[i - 1] = mean(X[, i]); Xc[, i - 1] = X[, i] - means_X[i - 1]; } }
parameters { vector[Kc] b; real Intercept; real<lower=0> sigma; }
model { target += normal_lpdf(b | 0, 1); target += student_t_lpdf(Intercept | 3, 8, 10);
  target += student_t_lpdf(sigma | 3, 0, 10) - 1 * student_t_lccdf(0 | 3, 0, 10);
  target += normal_id_glm_lpdf(Y | Xc, Intercept, b, sigma); }",
"kidiq-kidscore_interaction" = "data { int<lower=0> N; vector[N] kid_score; vector[N] mom_iq; vector[N] mom_hs; }
transformed data { vector[N] inter = mom_hs .* mom_iq; }
parameters { vector[4] beta; real<lower=0> sigma; }
model { sigma ~ cauchy(0, 2.5); kid_score ~ normal(beta[1] + beta[2] * mom_hs + beta[3] * mom_iq + beta[4] * inter, sigma); }",
"mesquite-logmesquite_logvash" = "data { int<lower=0> N; vector[N] weight; vector[N] diam1; vector[N] diam2; vector[N] canopy_height; vector[N] total_height; vector[N] group; }
transformed data { vector[N] lw = log(weight); vector[N] lv = log(diam1 .* diam2 .* canopy_height); vector[N] la = log(diam1 .* diam2);
  vector[N] ls = log(diam1 ./ diam2); vector[N] lt = log(total_height); }
parameters { vector[6] beta; real<lower=0> sigma; }
model { lw ~ normal(beta[1] + beta[2] * lv + beta[3] * la + beta[4] * ls + beta[5] * lt + beta[6] * group, sigma); }",
"kidiq_with_mom_work-kidscore_mom_work" = "data { int<lower=0> N; vector[N] kid_score; int mom_work[N]; }
transformed data { vector[N] work2; vector[N] work3; vector[N] work4;
  for (i in 1:N) { work2[i] = mom_work[i] == 2; work3[i] = mom_work[i] == 3; work4[i] = mom_work[i] == 4; } }
parameters { vector[4] beta; real<lower=0> sigma; }
model { kid_score ~ normal(beta[1] + beta[2] * work2 + beta[3] * work3 + beta[4] * work4, sigma); }",
"earnings-log10earn_height" = "data { int<lower=0> N; vector[N] earn; vector[N] height; }
transformed data { vector[N] log10_earn; for (i in 1:N) log10_earn[i] = log10(earn[i]); }
parameters { vector[2] beta; real<lower=0> sigma; }
model { log10_earn ~ normal(beta[1] + beta[2] * height, sigma); }",
"kidiq_with_mom_work-kidscore_interaction_z" = "data { int<lower=0> N; vector[N] kid_score; vector[N] mom_hs; vector[N] mom_iq; }
transformed data { vector[N] z_mom_hs = (mom_hs - mean(mom_hs)) / (2 * sd(mom_hs)); vector[N] z_mom_iq = (mom_iq - mean(mom_iq)) / (2 * sd(mom_iq));
  vector[N] inter = z_mom_hs .* z_mom_iq; }
parameters { vector[4] beta; real<lower=0> sigma; }
model { kid_score ~ normal(beta[1] + beta[2] * z_mom_hs + beta[3] * z_mom_iq + beta[4] * inter, sigma); }")
# An optional second argument names the posteriors to run, comma-separated (all by default).
only <- if (length(args) > 1) strsplit(args[2], ",")[[1]] else names(codes)
out <- c()
for (name in only) {
  data <- jsonlite::fromJSON(file.path(fixtures, name, "data.json"))
  m <- stan_model(model_code = codes[[name]])
  fit <- sampling(m, data = data, chains = 4, iter = 2000, warmup = 1000, seed = 1, cores = 1, refresh = 0)
  secs <- sum(get_elapsed_time(fit))
  mon <- monitor(as.array(fit), warmup = 0, print = FALSE)
  pars <- rownames(mon)[rownames(mon) != "lp__"]
  ess <- min(mon[pars, "Bulk_ESS"])
  out <- rbind(out, data.frame(posterior = name, seconds = secs, min_bulk_ess = ess, ess_per_s = ess / secs))
  print(tail(out, 1))
}
write.csv(out, stdout(), row.names = FALSE)
