// Placeholder entry point; the local server issue fills this in.
Console.Error.WriteLine("Mesa.LocalServer is not implemented yet.");
return 2;
