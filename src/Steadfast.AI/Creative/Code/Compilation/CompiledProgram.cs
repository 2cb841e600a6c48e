namespace Steadfast.AI.Creative;

/// <summary>A validated program, compiled in memory: the image the sandbox runs (compiling is safe; running happens only out of process).</summary>
/// <param name="Image">The assembly's bytes.</param>
/// <param name="SourceLines">The program's first lines, for events.</param>
internal sealed record CompiledProgram(byte[] Image, string SourceLines);
