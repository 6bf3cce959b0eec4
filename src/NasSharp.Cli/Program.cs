using var signals = new NasSharp.Cli.CliSignals(Console.Error);
return NasSharp.Cli.CliApp.Run(args, Console.Out, Console.Error, signals.Token);
