namespace NasSharp.Torch.Networks.Cells;

/// <summary>One edge of a cell DAG carrying an operation name (ops-on-edges cells such as NB201 or DARTS).</summary>
public readonly record struct CellEdge(int From, int To, string Op);

/// <summary>
/// Turns an operation name into a module that maps C channels to C channels at the same resolution, or returns
/// null for the zero operation ("none"), whose edge is then left out of the sum. Throws <see cref="NasInputException"/>
/// for a name it does not know. This is the one thing a new edge-op space has to supply.
/// </summary>
public delegate TorchSharp.torch.nn.Module<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>? EdgeOpFactory(string op, long channels);
