package io.hepstack.collector;

public class CollectorApplication {
    public static void main(String[] args) {
    }
}
