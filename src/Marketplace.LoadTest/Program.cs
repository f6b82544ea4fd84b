using Spectre.Console;

namespace Marketplace.LoadTest;

public static class Program
{
    public static Task<int> Main(string[] args) => LoadTestCommand.Create(AnsiConsole.Console).Parse(args).InvokeAsync();
}
