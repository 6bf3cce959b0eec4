return NasSharp.Cli.CliApp.Run(args, Console.Out, Console.Error);
