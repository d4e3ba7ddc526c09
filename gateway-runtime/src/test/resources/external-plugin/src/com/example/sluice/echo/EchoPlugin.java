package com.example.sluice.echo;

import org.pf4j.Plugin;

/** The plugin's entry point, named by Plugin-Class in the MANIFEST. The extensions do the work. */
public final class EchoPlugin extends Plugin {
}
