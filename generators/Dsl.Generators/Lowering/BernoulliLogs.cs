using Dsl.Generators.Helpers;
using Dsl.Generators.Ir;

namespace Dsl.Generators.Lowering
{
    /// <summary>
    /// log p and log(1 - p) of a Bernoulli probability as expressions, simplified where the probability's own form
    /// allows, so they stay finite where p rounds to 0 or 1: log(1 - (1 - Y)) = log Y, log Exp(Z) = Z,
    /// log Logistic(Z) = -Softplus(-Z), log(1 - Logistic(Z)) = -Softplus(Z) and log(1 - Exp(Z)) = Log1mExp(Z). A
    /// complementary log-log link, p = 1 - Exp(-Exp(eta)), gets log(1 - p) = -Exp(eta), exact for every eta, where
    /// 1 - p underflows above eta = 3.6, and log p = Log1mExp(-Exp(eta)), finite down to eta = -700 where p
    /// underflows below eta = -37. A probit link, p = Phi(eta), gets log p = LogPhi(eta) and log(1 - p) = LogPhi(-eta),
    /// finite in both tails, where Phi rounds to 1 above eta = 8.3 and underflows below eta = -37.5.
    /// The simplified forms are differentiated too, so the M-step's gradients share their stability.
    /// </summary>
    internal static class BernoulliLogs
    {
        public static (Expr LogOn, Expr LogOff) Of(Expr probability) =>
            (Log(probability), Log(OneMinus(probability)));

        private static Expr OneMinus(Expr p) =>
            p is BinaryExpr { Operator: '-', Left: ConstantExpr { Value: 1 }, Right: var rest } ? rest
                : new BinaryExpr('-', new ConstantExpr(1, p.Location), p, p.Location);

        private static Expr Log(Expr x) => x switch
        {
            FunctionExpr { Function: "Exp" } e => e.Arguments[0],
            FunctionExpr { Function: "Logistic" } s => new NegateExpr(Softplus(new NegateExpr(s.Arguments[0], s.Location)), s.Location),
            BinaryExpr { Operator: '-', Left: ConstantExpr { Value: 1 }, Right: FunctionExpr { Function: "Logistic" } s } =>
                new NegateExpr(Softplus(s.Arguments[0]), s.Location),
            BinaryExpr { Operator: '-', Left: ConstantExpr { Value: 1 }, Right: FunctionExpr { Function: "Exp" } e } =>
                new FunctionExpr("Log1mExp", EquatableArray.Of(e.Arguments[0]), e.Location),
            FunctionExpr { Function: "Phi" } phi => LogPhi(phi.Arguments[0]),
            BinaryExpr { Operator: '-', Left: ConstantExpr { Value: 1 }, Right: FunctionExpr { Function: "Phi" } phi } =>
                LogPhi(new NegateExpr(phi.Arguments[0], phi.Location)),
            _ => new FunctionExpr("Log", EquatableArray.Of(x), x.Location),
        };

        private static Expr Softplus(Expr z) => new FunctionExpr("Softplus", EquatableArray.Of(z), z.Location);

        private static Expr LogPhi(Expr z) => new FunctionExpr("LogPhi", EquatableArray.Of(z), z.Location);
    }
}
