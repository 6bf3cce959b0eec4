using NasSharp.Torch.Interop;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NasSharp.Torch.Training;

/// <summary>
/// TorchSharp's SGD (momentum, dampening, weight decay, Nesterov) with the same update, state and state_dict format, but
/// every scalar of the update held in a variable that is disposed after the update. TorchSharp's own step passes
/// <c>alpha: -lr</c> and friends as temporaries that a concurrent garbage collection can free while libtorch reads them
/// (see <see cref="LiveScalars"/>), which turned a finite first step into NaN weights.
/// </summary>
internal sealed class LiveScalarSgd(IEnumerable<Parameter> parameters, double lr, double momentum, double weightDecay, bool nesterov)
    : SGD(parameters, lr, momentum, 0, weightDecay, nesterov)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = group.Options;
        double momentum = o.momentum!.Value, dampening = o.dampening!.Value, weightDecay = o.weight_decay!.Value;
        using var decay = weightDecay.ToScalar();
        using var momentumScalar = momentum.ToScalar();
        using var keep = (1 - dampening).ToScalar();
        using var stepSize = (o.maximize!.Value ? o.LearningRate!.Value : -o.LearningRate!.Value).ToScalar();
        foreach (var param in group.Parameters)
        {
            var grad = param.grad;
            if (grad is null) continue;
            if (weightDecay != 0) grad = grad.add(param, decay);
            if (momentum != 0)
            {
                var state = (State)_state[param.Handle];
                var buf = state.momentum_buffer;
                if (buf is null) state.momentum_buffer = buf = grad.clone().detach().DetachFromDisposeScope();
                else buf.mul_(momentumScalar).add_(grad, keep);
                grad = o.nesterov!.Value ? grad.add(buf, momentumScalar) : buf;
            }
            param.add_(grad, stepSize);
        }
    }, closure);
}
